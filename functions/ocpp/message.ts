/**
 * WebSocket $default: every OCPP frame a station sends. The route has no route response: the
 * reply to a station's CALL is posted through @connections, and a station's CALLRESULT /
 * CALLERROR gets no frame at all (docs/adr/0009-station-replies-through-connections.md).
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyResult, Context } from 'aws-lambda';
import { METRICS } from '../../shared/contract.js';
import { count, logger, metricsFlush } from '../../shared/aws/observability.js';
import { tracing } from '../../shared/aws/tracing.js';
import { commandPath, connectionsSender } from './command-path.js';
import { isProtocol } from '../../shared/ocpp/versions.js';
import { MessageRecorder } from '../../shared/store/message-log.js';
import { readConnectionContext, stationFunctionDeps } from './composition.js';
import type { WebSocketEvent } from './connect.js';
import { internalErrorFor, REPLY_MARGIN_MS, withinDeadline } from './deadline.js';
import { dispatch, type DispatchDeps } from './dispatcher.js';
import { ROUTES } from './routes.js';

const base = stationFunctionDeps();
const commands = commandPath();
const replies = connectionsSender();
const deps: DispatchDeps = {
  ...base,
  routes: ROUTES,
  // A CALLRESULT / CALLERROR completes the station's outstanding command (shared/calls).
  onResponse: (frame, station) => commands.handleResponse(frame, station),
  allowedBeforeAccepted: (stationId, action, now) => commands.allowedBeforeAccepted(stationId, action, now),
  // CALLs a station's message leads to (K15: the TxProfile for an EV's charging needs).
  commands,
};

/**
 * Connections this instance has seen a message of. The first message (other than a
 * BootNotification, whose answer should come first) sends what was queued for the station while
 * it was away; $connect cannot (the connection is not open yet). Another instance seeing the same
 * connection sends nothing twice: the command path's lock decides.
 */
const woken = new Set<string>();

/** The last messages of stations an operator watches (dashboard); nothing for the others. */
const recorder = new MessageRecorder(base.store.messageLog, base.clock);

export const handler = middy(
  async (event: WebSocketEvent, context: Context): Promise<APIGatewayProxyResult> => {
    const station = readConnectionContext(event.requestContext.authorizer);
    if (!station) throw new Error('$default without authorizer context');
    const { protocol } = station;
    if (!isProtocol(protocol)) return handle(event, station, () => false);
    const body = event.body ?? '';
    const { connectionId } = event.requestContext;
    // Once the deadline answer went out, the work may still finish (its writes are idempotent and
    // were not acknowledged) but must not send a second answer.
    let answered = false;
    const answer = async (reason: string): Promise<APIGatewayProxyResult> => {
      answered = true;
      const frame = internalErrorFor(body, protocol, reason);
      if (frame !== undefined && replies) {
        await replies.send(connectionId, frame).catch((error: unknown) => {
          logger.error('Sending the InternalError answer failed', { error: error as Error });
        });
      }
      return { statusCode: 200, body: '' };
    };
    // Every CALL gets an OCPP answer before the function's deadline (issue 7 defect 16).
    return withinDeadline(
      handle(event, station, () => answered),
      context.getRemainingTimeInMillis() - REPLY_MARGIN_MS,
      () => {
        logger.error('Message not handled in time; answering InternalError');
        count(METRICS.lateMessages);
        return answer('The CSMS could not handle the message in time; send it again');
      },
      (error) => {
        logger.error('Message function failed; answering InternalError', { error: error as Error });
        return answer('Internal error');
      },
    );
  },
)
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(metricsFlush())
  .use(tracing());

async function handle(
  event: WebSocketEvent,
  station: NonNullable<ReturnType<typeof readConnectionContext>>,
  deadlinePassed: () => boolean,
): Promise<APIGatewayProxyResult> {
  const { connectionId } = event.requestContext;
  logger.appendKeys({ stationId: station.stationId, connectionId });
  if (!isProtocol(station.protocol)) {
    // No subprotocol was agreed at the handshake: OCPP-J says close the connection.
    await connectionsSender()?.close(connectionId);
    return { statusCode: 200, body: '' };
  }
  const watching = recorder.watching(station.stationId);
  const result = await dispatch(
    event.body ?? '',
    {
      stationId: station.stationId,
      protocol: station.protocol,
      connectionId,
      registrationAtConnect: station.registrationStatus,
      ...(event.requestContext.requestTimeEpoch === undefined
        ? {}
        : {
            arrival: {
              epochMs: event.requestContext.requestTimeEpoch,
              ...(event.requestContext.localArrivalSequence === undefined
                ? {}
                : { sequence: event.requestContext.localArrivalSequence }),
            },
          }),
    },
    deps,
  );
  // The reply goes first: queued CALLs sent by wake() below must not overtake it.
  if (result.reply !== undefined && !deadlinePassed()) {
    if (!replies) throw new Error('no @connections endpoint (CSMS_CONNECTIONS_URL) to reply through');
    if ((await replies.send(connectionId, result.reply)) === 'gone') {
      logger.info('Station disconnected before its reply was sent');
    }
  }
  // Work that follows a reply (K15: the TxProfile) only when the reply went out: after a deadline
  // answer the station sends its message again and gets it then.
  for (const work of deadlinePassed() ? [] : (result.afterReply ?? [])) {
    await work().catch((error: unknown) =>
      logger.error('Work after the reply failed', { error: error as Error, action: result.action }),
    );
  }
  if (result.action !== undefined && result.action !== 'BootNotification' && !woken.has(connectionId)) {
    if (woken.size >= 10_000) woken.clear();
    woken.add(connectionId);
    await commands
      .wake(station.stationId)
      .catch((error: unknown) => logger.error('Sending queued commands failed', { error: error as Error }));
  }
  if (await watching) {
    await recorder
      .record(station.stationId, event.body ?? '', result.reply)
      .catch((error: unknown) =>
        logger.warn('Recording a watched message failed', { error: error as Error }),
      );
  }
  count(result.errorCode ? METRICS.callErrors : METRICS.messagesHandled);
  return { statusCode: 200, body: '' };
}
