// Holds the synthesized templates against infra/topology.ts, which the local host reads too:
// if the two hosts drifted apart, this fails.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  ENV,
  FUNCTIONS,
  HTTP_ROUTES,
  STATION_ID_PARAM,
  TABLE,
  WEBSOCKET_ROUTES,
  WEBSOCKET_STAGE,
  type FunctionName,
} from '../../infra/topology.js';
import { csmsFunctions, resourcesOfType, synthesizeDefault, type Resource } from './synth.js';

const { statefulTemplate, statelessTemplate } = synthesizeDefault();
const functions = csmsFunctions(statelessTemplate);
const routes = Object.values(resourcesOfType(statelessTemplate, 'AWS::ApiGatewayV2::Route'));
const integrations = resourcesOfType(statelessTemplate, 'AWS::ApiGatewayV2::Integration');

function functionOf(name: FunctionName): [string, Resource] {
  const found = Object.entries(functions).filter(
    ([, fn]) => fn.Properties.Description === FUNCTIONS[name].description,
  );
  assert.equal(found.length, 1, `one function described as ${JSON.stringify(FUNCTIONS[name].description)}`);
  return found[0]!;
}

function integratedFunction(route: Resource): string {
  const target = route.Properties.Target as { 'Fn::Join': [string, [string, { Ref: string }]] };
  const integration = integrations[target['Fn::Join'][1][1].Ref]!;
  const match = /"Fn::GetAtt":\["([^"]+)","Arn"\]/.exec(
    JSON.stringify(integration.Properties.IntegrationUri),
  );
  assert.ok(match, 'integration targets a function');
  return match[1]!;
}

describe('topology ↔ template', () => {
  test('every function of FUNCTIONS, with its memory and timeout, and no other', () => {
    assert.equal(Object.keys(functions).length, Object.keys(FUNCTIONS).length);
    for (const name of Object.keys(FUNCTIONS) as FunctionName[]) {
      const [, fn] = functionOf(name);
      assert.equal(fn.Properties.MemorySize, FUNCTIONS[name].memoryMb, name);
      assert.equal(fn.Properties.Timeout, FUNCTIONS[name].timeoutSeconds, name);
      const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      for (const key of [
        ENV.tableName,
        ENV.eventBusName,
        ENV.connectionsUrl,
        ENV.admitUnknownStations,
        ENV.heartbeatIntervalSeconds,
      ]) {
        assert.ok(key in variables, `${name} has ${key}`);
      }
    }
  });

  test('every WEBSOCKET_ROUTES key is a route to its function', () => {
    for (const [routeKey, name] of Object.entries(WEBSOCKET_ROUTES)) {
      const route = routes.find((r) => r.Properties.RouteKey === routeKey);
      assert.ok(route, `route ${routeKey}`);
      assert.equal(integratedFunction(route), functionOf(name)[0], routeKey);
    }
  });

  test('the authorizer reads STATION_ID_PARAM and the stage is WEBSOCKET_STAGE', () => {
    statelessTemplate.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      IdentitySource: [`route.request.querystring.${STATION_ID_PARAM}`],
    });
    statelessTemplate.hasResourceProperties('AWS::ApiGatewayV2::Stage', { StageName: WEBSOCKET_STAGE });
  });

  test('every HTTP_ROUTES entry is a route to the api function', () => {
    for (const { method, path } of HTTP_ROUTES) {
      const route = routes.find((r) => r.Properties.RouteKey === `${method} ${path}`);
      assert.ok(route, `route ${method} ${path}`);
      assert.equal(integratedFunction(route), functionOf('api')[0]);
    }
    const httpRoutes = routes.filter((r) => !String(r.Properties.RouteKey).startsWith('$'));
    assert.equal(httpRoutes.length, HTTP_ROUTES.length);
  });

  test('the table matches TABLE', () => {
    const tables = Object.values(resourcesOfType(statefulTemplate, 'AWS::DynamoDB::Table'));
    assert.equal(tables.length, 1);
    const table = tables[0]!.Properties;
    const types = Object.fromEntries(
      (table.AttributeDefinitions as { AttributeName: string; AttributeType: string }[]).map((a) => [
        a.AttributeName,
        a.AttributeType,
      ]),
    );
    assert.deepEqual(table.KeySchema, [
      { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
    ]);
    assert.deepEqual(table.TimeToLiveSpecification, { AttributeName: TABLE.ttlAttribute, Enabled: true });
    assert.deepEqual(
      table.GlobalSecondaryIndexes,
      TABLE.indexes.map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: index.projection },
      })),
    );
    const keyAttributes = [
      TABLE.partitionKey,
      TABLE.sortKey,
      ...TABLE.indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
    ];
    assert.deepEqual(types, Object.fromEntries(keyAttributes.map((name) => [name, 'S'])));
  });
});
