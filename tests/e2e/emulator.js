// Starts the telegram-test-api Bot API emulator for Bangfu's end-to-end tests.
//
//   node emulator.js [PORT]        (or EMULATOR_PORT=PORT node emulator.js)
//
// Listens on 127.0.0.1 only. Prints "READY <url>" once listening and "POLLING" the first time
// a bot calls getUpdates (the emulator has no hook for that, so the instance method is
// wrapped); conftest.py waits for both lines. Stops cleanly on SIGTERM / SIGINT.
'use strict';

const TelegramServer = require('telegram-test-api');

const port = Number(process.argv[2] || process.env.EMULATOR_PORT);
if (!Number.isInteger(port) || port <= 0) {
  console.error('usage: node emulator.js PORT');
  process.exit(2);
}

// storeTimeout (seconds): the emulator forgets messages older than this; the default 60 s
// could drop a message mid-suite, so keep them for the whole run.
const server = new TelegramServer({ port, host: '127.0.0.1', storeTimeout: 3600 });

const getUpdates = server.getUpdates.bind(server);
let polled = false;
server.getUpdates = (token) => {
  if (!polled) {
    polled = true;
    console.log('POLLING');
  }
  return getUpdates(token);
};

let stopping = false;
async function stop(signal) {
  if (stopping) return;
  stopping = true;
  // http-shutdown waits for open keep-alive sockets; never hang the test run on them.
  setTimeout(() => process.exit(0), 2000).unref();
  try {
    await server.stop();
  } catch (err) {
    console.error(`emulator stop failed after ${signal}: ${err}`);
  }
  process.exit(0);
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));

server.start().then(
  () => console.log(`READY http://127.0.0.1:${port}`),
  (err) => {
    console.error(`emulator failed to start: ${err}`);
    process.exit(1);
  },
);
