// One cold start, in a fresh `node` process (no tsx, no loader): import a function's bundle and
// handle one event against the running local services. performance.now() counts from the start
// of this process, so `importedAt` and `handledAt` include Node's own bootstrap.
// argv: bundle path, event JSON file. Reports over the IPC channel.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';

const [bundle, eventFile, functionName, memoryMb] = process.argv.slice(2);
const startedAt = performance.now();
const event = JSON.parse(readFileSync(eventFile, 'utf8'));
const context = {
  callbackWaitsForEmptyEventLoop: true,
  functionName,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
  memoryLimitInMB: memoryMb,
  awsRequestId: randomUUID(),
  logGroupName: `/aws/lambda/${functionName}`,
  logStreamName: 'bench',
  getRemainingTimeInMillis: () => 10_000,
};

let outcome = 'ok';
const { handler } = await import(pathToFileURL(bundle).href);
const importedAt = performance.now();
try {
  await handler(event, context);
} catch (error) {
  outcome = error instanceof Error ? error.message : String(error);
}
const handledAt = performance.now();
process.send({ startedAt, importedAt, handledAt, outcome }, () => process.exit(0));
