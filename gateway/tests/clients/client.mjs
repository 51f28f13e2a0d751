// The Node example of the gateway README, with only baseURL (and the key) changed. It
// also checks the certificate's signature itself, with node:crypto, against the published
// key: canonical JSON (RFC 8785) without `signature`, ed25519.
//
// Usage: node client.mjs BASE_URL API_KEY PLANTED CERT_OUT developer|pro
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";

import OpenAI from "openai";

const [baseURL, apiKey, planted, certOut, tier] = process.argv.slice(2);

// As documented:
const client = new OpenAI({ apiKey, baseURL, defaultHeaders: { "X-Upstream-Key": "sk-test-provider" } });
const completion = await client.chat.completions.create({
  model: "gpt-4o",
  messages: [{ role: "user", content: `Classify this ticket: printer jammed, reply to ${planted}` }],
});

const content = completion.choices[0].message.content;
assert.equal(completion.object, "chat.completion");
assert.equal(completion.usage.total_tokens, 21);
if (tier === "developer") {
  assert.ok(!content.includes(planted) && content.includes("[EMAIL_ADDRESS_"), content);
} else {
  assert.ok(content.includes(`reply to ${planted} I cc'd [EMAIL_ADDRESS_`), content);
}
assert.ok(!content.includes("model.made@example.net"), content);

const dsa = completion.metadata.dsa_compliance;
assert.equal(dsa.sanitized, true);
assert.deepEqual(dsa.findings, { EMAIL_ADDRESS: 1 });

const certText = await (await fetch(dsa.certificate_url)).text();
assert.ok(!certText.includes(planted));
fs.writeFileSync(certOut, certText);
const cert = JSON.parse(certText);
assert.equal(cert.id, dsa.certificate_id);

// RFC 8785 for what certificates hold (strings, integers, null, arrays, objects).
function canonical(v) {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v !== null && typeof v === "object") {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(",")}}`;
  }
  return JSON.stringify(v);
}
const keysUrl = new URL("certificates/keys", baseURL.endsWith("/") ? baseURL : `${baseURL}/`);
const { keys } = await (await fetch(keysUrl)).json();
const published = keys.find((k) => k.key_id === cert.key_id);
assert.ok(published, "the certificate's key is published");
const { signature, ...unsigned } = cert;
const publicKey = crypto.createPublicKey({
  key: Buffer.concat([Buffer.from("302a300506032b6570032100", "hex"), Buffer.from(published.public_key, "hex")]),
  format: "der",
  type: "spki",
});
assert.ok(crypto.verify(null, Buffer.from(canonical(unsigned)), publicKey, Buffer.from(signature, "hex")),
  "the signature verifies with the published key");
// Any change breaks it.
assert.ok(!crypto.verify(null, Buffer.from(canonical({ ...unsigned, issued_at: "2000-01-01T00:00:00Z" })), publicKey,
  Buffer.from(signature, "hex")));

// Streaming: the same answer, chunk by chunk, then the certificate chunk.
const stream = await client.chat.completions.create({
  model: "gpt-4o",
  messages: [{ role: "user", content: `Classify this ticket: printer jammed, reply to ${planted}` }],
  stream: true,
});
let streamed = "";
let meta = null;
for await (const chunk of stream) {
  streamed += chunk.choices[0]?.delta?.content ?? "";
  if (chunk.metadata) meta = chunk.metadata.dsa_compliance;
}
assert.equal(streamed, content);
assert.ok(meta, "the stream ends with metadata.dsa_compliance");
const streamCert = await (await fetch(meta.certificate_url)).text();
assert.ok(!streamCert.includes(planted));
fs.writeFileSync(certOut.replace(".json", ".stream.json"), streamCert);
console.log(`node openai (${tier}): ok, certificates ${cert.id} (signature checked with node:crypto) and ${meta.certificate_id} (streamed)`);
