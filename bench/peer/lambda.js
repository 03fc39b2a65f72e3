// The Node peer as a Lambda function (Runtime nodejs): API Gateway HTTP API (payload 2.0) event with the image as
// a base64 body → MIC's JSON answer. The store comes from MIC_PEER_STORE; the model loads at cold start.
'use strict';
const { load } = require('./classifier');

const ready = load(process.env.MIC_PEER_STORE, Number(process.env.MIC_PEER_THREADS || 2));

exports.handler = async (event) => {
  const { classify } = await ready;
  const body = Buffer.from(event.body || '', event.isBase64Encoded ? 'base64' : 'utf8');
  try {
    const result = await classify(body, 5);
    return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(result) };
  } catch (e) {
    return { statusCode: 400, headers: { 'content-type': 'application/problem+json' }, body: JSON.stringify({ title: 'Corrupt image', status: 400, detail: e.message }) };
  }
};
