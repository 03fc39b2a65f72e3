// The Node peer's HTTP server: POST /classify with the raw image as the body → MIC's JSON answer.
//   node server.js <store-or-bundle> [port=5001] [threads=2]
'use strict';
const http = require('node:http');
const { load } = require('./classifier');

const [location, portText = '5001', threadsText = '2'] = process.argv.slice(2);
if (!location) {
  console.error('usage: node server.js <store-or-bundle> [port] [threads]');
  process.exit(2);
}
const maxBytes = 20 * 1024 * 1024;

function send(response, status, body) {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': status === 200 ? 'application/json' : 'application/problem+json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

load(location, Number(threadsText)).then(({ classify }) => {
  const server = http.createServer((request, response) => {
    const url = new URL(request.url, 'http://localhost');
    if (request.method !== 'POST' || url.pathname !== '/classify') {
      send(response, 404, { title: 'Not found', status: 404 });
      return;
    }
    const chunks = [];
    let length = 0;
    request.on('data', (chunk) => {
      length += chunk.length;
      if (length > maxBytes) request.destroy();
      else chunks.push(chunk);
    });
    request.on('end', () => {
      classify(Buffer.concat(chunks), Number(url.searchParams.get('top') || 5))
        .then((result) => send(response, 200, result))
        .catch((e) => send(response, 400, { title: 'Corrupt image', status: 400, detail: e.message }));
    });
  });
  server.keepAliveTimeout = 65_000;
  server.listen(Number(portText), '127.0.0.1');
}).catch((e) => {
  console.error(`peer: start-up failed: ${e.message}`);
  process.exit(2);
});
