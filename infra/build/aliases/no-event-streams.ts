// Stands in for @smithy/core/event-streams inside the function bundles (infra/build/bundling.ts). The SDK's protocol
// layer imports it on demand for operations that stream events; no operation of DynamoDB or EventBridge does, so the
// 15 KB of codec would only be parsed. Reaching it anyway fails loudly rather than silently.
const notBundled = (): never => {
  throw new Error('@smithy/core/event-streams is not bundled with this function (infra/build/aliases/no-event-streams.ts)');
};

export class EventStreamSerde {
  constructor() {
    notBundled();
  }
}

export const eventStreamSerdeProvider = notBundled;
