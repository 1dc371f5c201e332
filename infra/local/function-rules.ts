/**
 * The topology's EventBridge rules with a function target (topology EVENT_RULES) on the local bus:
 * a subscriber that invokes the rule's function with the event envelope, asynchronously (after
 * PutEvents has answered, as EventBridge does), for each event whose source and detail-type match.
 */
import type { EventSubscriber } from './event-bus.js';
import { EVENT_RULES, type FunctionName } from '../topology.js';

export function functionRules(
  invoke: (name: FunctionName, event: unknown) => Promise<unknown>,
  onError: (error: unknown, rule: string) => void,
  rules: readonly (typeof EVENT_RULES)[number][] = EVENT_RULES,
): EventSubscriber {
  return (event) => {
    for (const rule of rules) {
      if (event.source !== rule.source) continue;
      if (!(rule.detailTypes as readonly string[]).includes(event['detail-type'])) continue;
      setImmediate(() => {
        invoke(rule.function, event).catch((error: unknown) => onError(error, rule.name));
      });
    }
  };
}
