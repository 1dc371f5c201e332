/**
 * The one way the CSMS reaches a station's connection: PostToConnection (a CALL, only from
 * shared/calls) and DeleteConnection (closing it: a connection without a subprotocol, a station
 * deleted or disabled through the API) on the WebSocket API's @connections endpoint (the local
 * gateway serves the same API).
 */
import {
  DeleteConnectionCommand,
  GoneException,
  PostToConnectionCommand,
  type ApiGatewayManagementApiClient,
} from '@aws-sdk/client-apigatewaymanagementapi';

const isGone = (error: unknown) =>
  error instanceof GoneException || (error instanceof Error && error.name === 'GoneException');

export interface StationSender {
  /** 'gone': the connection no longer exists (the station is offline). Throws on other failures. */
  send(connectionId: string, frame: string): Promise<'sent' | 'gone'>;
}

export class ConnectionsSender implements StationSender {
  constructor(private readonly client: ApiGatewayManagementApiClient) {}

  async send(connectionId: string, frame: string): Promise<'sent' | 'gone'> {
    try {
      await this.client.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: frame }));
      return 'sent';
    } catch (error) {
      if (isGone(error)) return 'gone';
      throw error;
    }
  }

  /** Closes the connection; one already gone is fine. Throws on other failures. */
  async close(connectionId: string): Promise<void> {
    try {
      await this.client.send(new DeleteConnectionCommand({ ConnectionId: connectionId }));
    } catch (error) {
      if (!isGone(error)) throw error;
    }
  }
}
