// Runs a published function (a folder with an executable `bootstrap`) under @vercel/fun, a third-party
// implementation of the Lambda Runtime API, and invokes it with the events it reads from stdin.
//
//   node fun-driver.js <task-dir>
//
// stdin, one JSON object per line: first {"environment": {...}}, then {"id": ..., "event": {...}} per invocation.
// stdout: the function's own output (it inherits stdout) interleaved with one line per invocation:
//   FUN-RESULT {"id": ..., "statusCode": ..., "functionError": ..., "payload": "..."}
// Invocations run one after another, so each reuses the warm process, as Lambda does.
'use strict';
const readline = require('node:readline');
const { createFunction } = require('@vercel/fun');

async function main() {
  const taskDir = process.argv[2];
  if (!taskDir) {
    throw new Error('usage: node fun-driver.js <task-dir>');
  }

  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  let fn = null;
  for await (const line of lines) {
    if (!line.trim()) {
      continue;
    }
    const message = JSON.parse(line);
    if (!fn) {
      fn = await createFunction({
        Code: { Directory: taskDir },
        Handler: 'bootstrap',
        Runtime: 'provided',
        FunctionName: 'mic-classifier',
        MemorySize: 1024,
        Environment: { Variables: message.environment || {} },
      });
      process.stdout.write('FUN-READY {}\n');
      continue;
    }
    const result = await fn.invoke({ InvocationType: 'RequestResponse', Payload: JSON.stringify(message.event) });
    const payload = typeof result.Payload === 'string' ? result.Payload : String(result.Payload);
    process.stdout.write('FUN-RESULT ' + JSON.stringify({
      id: message.id,
      statusCode: result.StatusCode,
      functionError: result.FunctionError || null,
      payload,
    }) + '\n');
  }
  if (fn) {
    await fn.destroy();
  }
}

main().catch((error) => {
  process.stderr.write(`fun-driver: ${error && error.stack ? error.stack : error}\n`);
  process.exit(1);
});
