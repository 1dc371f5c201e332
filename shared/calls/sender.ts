/**
 * The one way a CALL reaches a station: PostToConnection on the WebSocket API's @connections
 * endpoint (the local gateway serves the same API). Only shared/calls uses it.
 */
import {
  GoneException,
  PostToConnectionCommand,
  type ApiGatewayManagementApiClient,
} from '@aws-sdk/client-apigatewaymanagementapi';

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
      if (error instanceof GoneException || (error instanceof Error && error.name === 'GoneException')) {
        return 'gone';
      }
      throw error;
    }
  }
}
