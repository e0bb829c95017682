// Long-lived js-libp2p peer driven over stdin/stdout with JSON lines. It runs until SIGINT, SIGTERM or the "stop"
// command; a closed stdin ends only the commands (so `peer.mjs &` keeps running), unless --exit-on-stdin-close.
// Usage: node --import ./polyfill.mjs peer.mjs [--port N] [--host H] [--key HEX] [--no-monitor] [--ping-timeout MS]
//                                              [--exit-on-stdin-close]
// Env:   PEER_PORT, PEER_KEY, PEER_MONITOR=0, PEER_PING_TIMEOUT
// stdout carries ONLY protocol JSON lines; all logging goes to stderr.
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { createInterface } from 'node:readline'
import { toString as toHex } from 'uint8arrays/to-string'
import {
  createNode, echoOnStream, throughputOnStream, ECHO_PROTOCOL, SINK_PROTOCOL, MAX_STREAMS
} from './lib.mjs'

function parseArgs (argv) {
  const o = {
    port: process.env.PEER_PORT != null ? Number(process.env.PEER_PORT) : 0,
    keyHex: process.env.PEER_KEY,
    host: '127.0.0.1',
    monitor: process.env.PEER_MONITOR !== '0',
    pingTimeout: process.env.PEER_PING_TIMEOUT != null ? Number(process.env.PEER_PING_TIMEOUT) : undefined,
    exitOnStdinClose: false
  }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--port') o.port = Number(argv[++i])
    else if (a === '--key') o.keyHex = argv[++i]
    else if (a === '--host') o.host = argv[++i]
    else if (a === '--no-monitor') o.monitor = false
    else if (a === '--ping-timeout') o.pingTimeout = Number(argv[++i])
    else if (a === '--exit-on-stdin-close') o.exitOnStdinClose = true
    else throw new Error(`unknown argument ${a}`)
  }
  return o
}

const emit = (obj) => { process.stdout.write(JSON.stringify(obj) + '\n') }
const log = (...args) => { process.stderr.write(`[peer] ${args.join(' ')}\n`) }
const errText = (err) => (err?.name != null && err.name !== 'Error' ? `${err.name}: ` : '') + (err?.message ?? String(err))

process.on('uncaughtException', (err) => {
  emit({ event: 'error', source: 'uncaughtException', error: errText(err) })
  log('uncaughtException', err?.stack ?? err)
})
process.on('unhandledRejection', (err) => {
  emit({ event: 'error', source: 'unhandledRejection', error: errText(err) })
  log('unhandledRejection', err?.stack ?? err)
})

const opts = parseArgs(process.argv.slice(2))
const node = await createNode(opts)

// Inbound ping streams, observed: the real @libp2p/ping handler still answers them; we only report when js accepts
// one and when it ends (and who ended it). Re-registered with force rather than node.use(): js-libp2p 3.3's
// registrar hands out its stored middleware array and the connection appends the handler to it, so a use()d chain
// would grow by one handler per stream.
const PING_PROTOCOL = '/ipfs/ping/1.0.0'
const pingService = node.services.ping
await node.handle(PING_PROTOCOL, (stream, connection) => {
  const base = { event: 'ping:stream', peer: connection.remotePeer.toString(), connection: connection.id, stream: stream.id }
  emit({ ...base, phase: 'open' })
  stream.addEventListener('close', (evt) => {
    emit({ ...base, phase: 'close', local: evt.local ?? null, error: evt.error != null ? errText(evt.error) : null })
  }, { once: true })
  return pingService.handlePing(stream, connection)
}, { force: true, maxInboundStreams: MAX_STREAMS, maxOutboundStreams: MAX_STREAMS, runOnLimitedConnection: true })

/** @type {Map<string, object>} latest identify result per peer */
const identified = new Map()
const identifyWaiters = new Map()

function identifyJson (r) {
  return {
    peer: r.peerId.toString(),
    agentVersion: r.agentVersion ?? null,
    protocolVersion: r.protocolVersion ?? null,
    protocols: [...r.protocols].sort(),
    listenAddrs: r.listenAddrs.map(a => a.toString()),
    observedAddr: r.observedAddr?.toString() ?? null,
    publicKey: r.publicKey != null ? toHex(r.publicKey, 'base16') : null,
    signedPeerRecord: r.signedPeerRecord != null
  }
}

function connJson (c) {
  return {
    id: c.id,
    remotePeer: c.remotePeer.toString(),
    remoteAddr: c.remoteAddr.toString(),
    direction: c.direction,
    status: c.status,
    multiplexer: c.multiplexer ?? null,
    encryption: c.encryption ?? null,
    streams: c.streams.length,
    streamProtocols: c.streams.map(s => s.protocol ?? null)
  }
}

node.addEventListener('connection:open', (evt) => {
  const c = evt.detail
  emit({ event: 'connection:open', peer: c.remotePeer.toString(), id: c.id, remoteAddr: c.remoteAddr.toString(), direction: c.direction })
})
node.addEventListener('connection:close', (evt) => {
  const c = evt.detail
  emit({ event: 'connection:close', peer: c.remotePeer.toString(), id: c.id, remoteAddr: c.remoteAddr.toString(), direction: c.direction, status: c.status })
})
node.addEventListener('peer:identify', (evt) => {
  const j = identifyJson(evt.detail)
  identified.set(j.peer, j)
  emit({ event: 'peer:identify', ...j })
  const ws = identifyWaiters.get(j.peer)
  if (ws != null) { identifyWaiters.delete(j.peer); for (const w of ws) w(j) }
})

/** Resolve {addr|peer} to a libp2p DialTarget. */
function target (args) {
  if (args.addr != null) return multiaddr(args.addr)
  if (args.peer != null) return peerIdFromString(args.peer)
  throw new Error('need "addr" or "peer"')
}

function peerOf (args) {
  if (args.peer != null) return peerIdFromString(args.peer)
  if (args.addr != null) {
    const p = multiaddr(args.addr).getComponents().findLast(c => c.name === 'p2p')?.value
    if (p != null) return peerIdFromString(p)
  }
  throw new Error('need "peer" (or an addr ending in /p2p/<id>)')
}

/** An open connection to the target, dialing if needed. */
async function connectionTo (args) {
  if (args.peer != null && args.addr == null) {
    const existing = node.getConnections(peerIdFromString(args.peer)).filter(c => c.status === 'open')
    if (existing.length > 0) return existing[0]
  }
  return node.dial(target(args))
}

async function waitIdentify (peer, timeoutMs) {
  const key = peer.toString()
  if (identified.has(key)) return identified.get(key)
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no identify from ${key} within ${timeoutMs} ms`)), timeoutMs)
    const list = identifyWaiters.get(key) ?? []
    list.push((j) => { clearTimeout(t); resolve(j) })
    identifyWaiters.set(key, list)
  })
}

const commands = {
  async info () {
    return {
      peerId: node.peerId.toString(),
      addrs: node.getMultiaddrs().map(a => a.toString()),
      protocols: node.getProtocols()
    }
  },

  async dial (args) {
    const c = await node.dial(target(args), { force: args.force === true })
    return { remotePeer: c.remotePeer.toString(), connection: connJson(c) }
  },

  async ping (args) {
    const count = args.count ?? 1
    const rtts = []
    const t = target(args)
    for (let i = 0; i < count; i++) rtts.push(await node.services.ping.ping(t))
    return { rtts }
  },

  async identify (args) {
    const peer = peerOf(args)
    if (args.fresh === true) {
      const conn = await connectionTo(args)
      const r = await node.services.identify.identify(conn)
      const j = identifyJson(r)
      identified.set(j.peer, j)
      return j
    }
    if (node.getConnections(peer).length === 0 && args.addr != null) await node.dial(multiaddr(args.addr))
    return waitIdentify(peer, args.timeoutMs ?? 10_000)
  },

  async echo (args) {
    const size = args.size ?? 1024
    const stream = await node.dialProtocol(target(args), args.protocol ?? ECHO_PROTOCOL, { maxOutboundStreams: MAX_STREAMS })
    try {
      return await echoOnStream(stream, size)
    } catch (err) {
      stream.abort(err)
      throw err
    }
  },

  async echoConcurrent (args) {
    const n = args.streams ?? 10
    const size = args.size ?? 1024
    const conn = await connectionTo(args)
    const start = performance.now()
    const results = await Promise.allSettled(Array.from({ length: n }, async () => {
      const s = await conn.newStream(args.protocol ?? ECHO_PROTOCOL, { maxOutboundStreams: MAX_STREAMS })
      try { return await echoOnStream(s, size) } catch (err) { s.abort(err); throw err }
    }))
    const ms = performance.now() - start
    const failures = results.filter(r => r.status === 'rejected').map(r => errText(r.reason))
    const okCount = results.filter(r => r.status === 'fulfilled' && r.value.ok).length
    return {
      streams: n,
      size,
      okCount,
      ok: okCount === n,
      ms,
      connectionId: conn.id,
      failures: failures.slice(0, 10),
      mismatches: results.filter(r => r.status === 'fulfilled' && !r.value.ok).length
    }
  },

  async connections (args) {
    const list = args.peer != null ? node.getConnections(peerIdFromString(args.peer)) : node.getConnections()
    return { connections: list.map(connJson) }
  },

  async closeConnections (args) {
    const list = node.getConnections(peerOf(args))
    for (const c of list) {
      if (args.graceful === true) await c.close()
      else c.abort(new Error('closeConnections command'))
    }
    return { closed: list.length }
  },

  async hangup (args) {
    await node.hangUp(args.addr != null ? multiaddr(args.addr) : peerOf(args))
    return {}
  },

  async throughput (args) {
    const bytes = args.bytes ?? 64 * 1024 * 1024
    const stream = await node.dialProtocol(target(args), SINK_PROTOCOL, { maxOutboundStreams: MAX_STREAMS })
    try {
      return await throughputOnStream(stream, bytes)
    } catch (err) {
      stream.abort(err)
      throw err
    }
  },

  async stop () {
    setImmediate(() => shutdown('stop command'))
    return {}
  }
}

async function handleLine (line) {
  line = line.trim()
  if (line === '') return
  let msg
  try {
    msg = JSON.parse(line)
  } catch (err) {
    emit({ id: null, ok: false, error: `bad JSON: ${errText(err)}` })
    return
  }
  const id = msg.id ?? null
  const cmd = msg.cmd ?? msg.command
  const fn = commands[cmd]
  if (fn == null) {
    emit({ id, ok: false, error: `unknown command "${cmd}"` })
    return
  }
  try {
    const res = await fn(msg.args ?? msg)
    emit({ id, ok: true, ...res })
  } catch (err) {
    log(`command ${cmd} (id ${id}) failed:`, err?.stack ?? err)
    emit({ id, ok: false, error: errText(err) })
  }
}

let stopping = false
/** Stops the node (goodbye on every connection) and exits 0; a second signal while that runs exits at once. */
async function shutdown (why) {
  if (stopping) process.exit(0)
  stopping = true
  log('stopping:', why)
  try { await node.stop() } catch (err) { log('stop failed', err?.stack ?? err) }
  process.exit(0)
}
process.on('SIGINT', () => { shutdown('SIGINT') })
process.on('SIGTERM', () => { shutdown('SIGTERM') })

// Commands come from a pipe (the tests, selftest.mjs). A terminal's stdin is left alone: reading it from a background
// job (`peer.mjs &` in an interactive shell) would stop the process with SIGTTIN.
if (!process.stdin.isTTY) {
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity })
  rl.on('line', (line) => { handleLine(line) })
  rl.on('close', () => {
    // A parent that owns the peer (--exit-on-stdin-close) ends it by going away, even if it dies without a word.
    if (opts.exitOnStdinClose) shutdown('stdin closed')
  })
}

emit({
  event: 'ready',
  peerId: node.peerId.toString(),
  addrs: node.getMultiaddrs().map(a => a.toString()),
  protocols: node.getProtocols()
})
log('ready', node.peerId.toString(), node.getMultiaddrs().map(a => a.toString()).join(' '))
