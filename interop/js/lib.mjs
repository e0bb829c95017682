// Shared js-libp2p node factory and stream helpers for peer.mjs, bench.mjs and selftest.mjs.
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { privateKeyFromProtobuf } from '@libp2p/crypto/keys'
import { echo } from '@libp2p/echo'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { createLibp2p } from 'libp2p'
import { fromString as fromHex } from 'uint8arrays/from-string'

export const SINK_PROTOCOL = '/resilink/sink/1.0.0'
export const MIDCLOSE_PROTOCOL = '/resilink/midclose/1.0.0'
export const ECHO_PROTOCOL = '/echo/1.0.0'
export const MAX_STREAMS = 1024
export const CHUNK = 64 * 1024

/** Deterministic payload: byte i = (i * 31 + 7) & 0xff. */
export function pattern (size, offset = 0) {
  const buf = new Uint8Array(size)
  for (let i = 0; i < size; i++) buf[i] = ((i + offset) * 31 + 7) & 0xff
  return buf
}

/**
 * Create (and start) a node with tcp + noise + yamux + identify + ping + echo.
 * opts: { port, host, keyHex, monitor (bool, default true), pingTimeout (ms; @libp2p/ping's default 10 s when unset) }
 */
export async function createNode (opts = {}) {
  const host = opts.host ?? '127.0.0.1'
  const port = opts.port ?? 0
  const privateKey = opts.keyHex != null && opts.keyHex !== ''
    ? privateKeyFromProtobuf(fromHex(opts.keyHex, 'base16'))
    : undefined

  const node = await createLibp2p({
    privateKey,
    addresses: { listen: [`/ip4/${host}/tcp/${port}`] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    // NB: initialStreamWindowSize is left at the spec default (256 KiB). js-yamux
    // assumes the *remote* window equals its own configured initial window, so
    // raising it would break interop with spec-following peers.
    streamMuxers: [yamux({
      maxInboundStreams: MAX_STREAMS,
      maxOutboundStreams: MAX_STREAMS,
      maxEarlyStreams: 256,
      streamOptions: {
        maxStreamWindowSize: 16 * 1024 * 1024,
        maxReadBufferLength: 64 * 1024 * 1024,
        inactivityTimeout: 300_000
      }
    })],
    connectionManager: {
      maxConnections: 1000,
      maxParallelDials: 100,
      maxIncomingPendingConnections: 100,
      inboundConnectionThreshold: 1000,
      maxPeerAddrsToDial: 25,
      dialTimeout: 30_000
    },
    connectionMonitor: { enabled: opts.monitor ?? true },
    nodeInfo: { userAgent: 'resilink-interop-js/1.0.0' },
    services: {
      identify: identify({ maxInboundStreams: 64, maxOutboundStreams: 64 }),
      ping: ping({ maxInboundStreams: MAX_STREAMS, maxOutboundStreams: MAX_STREAMS, timeout: opts.pingTimeout }),
      echo: echo({ maxInboundStreams: MAX_STREAMS, maxOutboundStreams: MAX_STREAMS, timeout: 300_000 })
    }
  })

  await node.handle(SINK_PROTOCOL, handleSink, { maxInboundStreams: MAX_STREAMS, maxOutboundStreams: MAX_STREAMS })
  await node.handle(MIDCLOSE_PROTOCOL, handleMidclose, { maxInboundStreams: MAX_STREAMS, maxOutboundStreams: MAX_STREAMS })
  return node
}

/** Send `data` honouring backpressure. */
export async function sendAll (stream, data, chunk = CHUNK) {
  for (let off = 0; off < data.byteLength; off += chunk) {
    if (!stream.send(data.subarray(off, Math.min(off + chunk, data.byteLength)))) {
      await stream.onDrain()
    }
  }
}

/** Read until EOF, returning total byte count (data discarded). */
export async function countAll (stream) {
  let n = 0
  for await (const buf of stream) n += buf.byteLength
  return n
}

/** Read until EOF, returning all bytes concatenated. */
export async function readAll (stream) {
  const parts = []
  let n = 0
  for await (const buf of stream) {
    const u8 = buf instanceof Uint8Array ? buf : buf.subarray()
    parts.push(u8)
    n += u8.byteLength
  }
  const out = new Uint8Array(n)
  let off = 0
  for (const p of parts) { out.set(p, off); off += p.byteLength }
  return out
}

function u64be (n) {
  const b = new Uint8Array(8)
  new DataView(b.buffer).setBigUint64(0, BigInt(n), false)
  return b
}

/** /resilink/sink/1.0.0: read to EOF, reply with 8-byte BE count, close. */
async function handleSink (stream) {
  try {
    const n = await countAll(stream)
    stream.send(u64be(n))
    await stream.close()
  } catch (err) {
    stream.abort(err)
  }
}

/** /resilink/midclose/1.0.0: read 1 KiB, then abort the whole connection. */
async function handleMidclose (stream, connection) {
  let n = 0
  try {
    for await (const buf of stream) {
      n += buf.byteLength
      if (n >= 1024) break
    }
  } catch {}
  connection.abort(new Error(`midclose: aborting connection after ${n} bytes`))
}

/**
 * Echo `size` pattern bytes over an already-open stream, verify byte-for-byte.
 * Returns { bytes, ms, ok, mismatchAt? }.
 */
export async function echoOnStream (stream, size) {
  const start = performance.now()
  const data = pattern(size)
  const reading = readAll(stream)
  // make sure a read error does not become an unhandled rejection while writing
  reading.catch(() => {})
  await sendAll(stream, data)
  await stream.close()
  const got = await reading
  const ms = performance.now() - start
  let mismatchAt = -1
  const n = Math.min(got.byteLength, data.byteLength)
  for (let i = 0; i < n; i++) {
    if (got[i] !== data[i]) { mismatchAt = i; break }
  }
  if (mismatchAt < 0 && got.byteLength !== data.byteLength) mismatchAt = n
  const res = { bytes: got.byteLength, ms, ok: mismatchAt < 0 }
  if (mismatchAt >= 0) res.mismatchAt = mismatchAt
  return res
}

/**
 * Write `bytes` bytes on an open sink stream as fast as possible, close write,
 * wait for the 8-byte count. Returns { bytes, ms, mibps, acked }.
 */
export async function throughputOnStream (stream, bytes) {
  const block = pattern(1024 * 1024)
  const start = performance.now()
  const reply = readAll(stream)
  reply.catch(() => {})
  let sent = 0
  while (sent < bytes) {
    const n = Math.min(block.byteLength, bytes - sent)
    await sendAll(stream, n === block.byteLength ? block : block.subarray(0, n))
    sent += n
  }
  await stream.close()
  const r = await reply
  const ms = performance.now() - start
  if (r.byteLength !== 8) throw new Error(`sink reply was ${r.byteLength} bytes, expected 8`)
  const acked = Number(new DataView(r.buffer, r.byteOffset, 8).getBigUint64(0, false))
  if (acked !== bytes) throw new Error(`sink acknowledged ${acked} bytes, sent ${bytes}`)
  return { bytes, ms, mibps: (bytes / (1024 * 1024)) / (ms / 1000), acked }
}
