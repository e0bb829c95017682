// Standalone js-libp2p <-> js-libp2p benchmark over TCP + noise + yamux, in one process.
// Usage: node --import ./polyfill.mjs bench.mjs [MiB=256] [pings=1000] [warmupMiB=64]
// Prints one JSON line on stdout.
import { createNode, throughputOnStream, SINK_PROTOCOL } from './lib.mjs'

const mib = Number(process.argv[2] ?? 256)
const pings = Number(process.argv[3] ?? 1000)
const warmupMiB = Number(process.argv[4] ?? 64)
const bytes = Math.round(mib * 1024 * 1024)

const [server, client] = await Promise.all([
  createNode({ monitor: false }),
  createNode({ monitor: false })
])

const conn = await client.dial(server.getMultiaddrs()[0])

// warm-up so first-stream costs (mss, window growth, JIT) don't dominate
await throughputOnStream(await conn.newStream(SINK_PROTOCOL), warmupMiB * 1024 * 1024)

const tp = await throughputOnStream(await conn.newStream(SINK_PROTOCOL), bytes)

// /ipfs/ping/1.0.0 RTTs, one ping stream reused for all rounds (32-byte payloads),
// timed with performance.now() for sub-ms resolution (the ping service reports whole ms).
const pingStream = await conn.newStream('/ipfs/ping/1.0.0')
const rtts = []
const queue = []
let waiter = null
pingStream.addEventListener('message', (evt) => {
  queue.push(evt.data.subarray())
  if (waiter != null) { const w = waiter; waiter = null; w() }
})
let buffered = new Uint8Array(0)
async function read32 () {
  while (buffered.byteLength < 32) {
    if (queue.length === 0) await new Promise(resolve => { waiter = resolve })
    const next = queue.shift()
    const merged = new Uint8Array(buffered.byteLength + next.byteLength)
    merged.set(buffered); merged.set(next, buffered.byteLength)
    buffered = merged
  }
  const out = buffered.subarray(0, 32)
  buffered = buffered.subarray(32)
  return out
}
for (let i = 0; i < pings; i++) {
  const payload = crypto.getRandomValues(new Uint8Array(32))
  const t0 = performance.now()
  pingStream.send(payload)
  const got = await read32()
  rtts.push(performance.now() - t0)
  if (Buffer.compare(Buffer.from(got), Buffer.from(payload)) !== 0) throw new Error('ping payload mismatch')
}
await pingStream.close()
rtts.sort((x, y) => x - y)
const pct = (p) => rtts[Math.min(rtts.length - 1, Math.floor(p / 100 * rtts.length))]

// also the ping service's own figure (whole milliseconds, new stream each time)
const svc = []
for (let i = 0; i < 20; i++) svc.push(await client.services.ping.ping(server.peerId))

await Promise.all([client.stop(), server.stop()])

const round = (x) => Math.round(x * 1000) / 1000
console.log(JSON.stringify({
  impl: 'js-libp2p',
  transport: 'tcp+noise+yamux',
  node: process.version,
  mibps: round(tp.mibps),
  bytes: tp.bytes,
  ms: round(tp.ms),
  pings,
  pingP50Ms: round(pct(50)),
  pingP99Ms: round(pct(99)),
  pingMaxMs: round(rtts[rtts.length - 1]),
  pingServiceMedianMs: svc.sort((x, y) => x - y)[10]
}))
