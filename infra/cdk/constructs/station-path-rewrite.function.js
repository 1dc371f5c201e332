// CloudFront Function (runtime cloudfront-js-2.0, viewer request) of the station front door.
//
// OCPP puts the station identity at the end of the URL (wss://host/ocpp/CP-1), but an API Gateway
// WebSocket API only accepts connections on its stage URL: no path after the stage, no path
// variables on $connect. This rewrites /ocpp/{stationId} to the stage path and moves the identity
// to the query string, where the authorizer reads it. Every other path gets a 404.
//
// The upper-case placeholders between double underscores are replaced at synth time with values
// from infra/topology.ts (see station-path-rewrite.ts); test/infra/station-path-rewrite.test.ts
// runs the rendered code.

var PATH_PREFIX = __STATION_PATH_PREFIX__;
var STAGE_PATH = __STAGE_PATH__;
var STATION_ID_PARAM = __STATION_ID_PARAM__;

function notFound() {
  return { statusCode: 404, statusDescription: 'Not Found' };
}

function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri.indexOf(PATH_PREFIX) !== 0) return notFound();
  var segment = uri.slice(PATH_PREFIX.length);
  if (segment.length === 0 || segment.indexOf('/') !== -1) return notFound();
  var stationId;
  try {
    stationId = decodeURIComponent(segment);
  } catch (e) {
    return notFound(); // malformed percent-encoding
  }

  // The identity comes from the path only: drop whatever the client put in the query string
  // under that name (in any letter case), keep every other parameter.
  var querystring = request.querystring || {};
  var names = Object.keys(querystring);
  for (var i = 0; i < names.length; i++) {
    if (names[i].toLowerCase() === STATION_ID_PARAM.toLowerCase()) delete querystring[names[i]];
  }
  // Query string values travel URL-encoded: decode once (above), encode once (here).
  querystring[STATION_ID_PARAM] = { value: encodeURIComponent(stationId) };
  request.querystring = querystring;
  request.uri = STAGE_PATH;
  return request;
}
