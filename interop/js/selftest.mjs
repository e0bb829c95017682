// Spawns two peer.mjs processes and exercises every command of A against B.
// Usage: node --import ./polyfill.mjs selftest.mjs     (exit code 0 = all passed)
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { dirname } from 'node:path'

const here = dirname(fileURLToPath(import.meta.url))

class Peer {
  constructor (name, extra = []) {
    this.name = name
    this.nextId = 1
    this.pending = new Map()
    this.events = []
    this.proc = spawn(process.execPath, ['--import', './polyfill.mjs', 'peer.mjs', '--exit-on-stdin-close', ...extra], { cwd: here, stdio: ['pipe', 'pipe', 'pipe'] })
    this.stderr = ''
    this.proc.stderr.on('data', d => { this.stderr += d })
    this.exited = new Promise(resolve => this.proc.on('exit', code => resolve(code)))
    this.ready = new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`${name}: no ready line; stderr:\n${this.stderr}`)), 60_000)
      createInterface({ input: this.proc.stdout }).on('line', line => {
        const msg = JSON.parse(line)
        if (msg.event === 'ready') { clearTimeout(t); this.info = msg; resolve(msg) } else if (msg.event != null) this.events.push(msg)
        else {
          const p = this.pending.get(msg.id)
          if (p != null) { this.pending.delete(msg.id); p(msg) }
        }
      })
    })
  }

  send (cmd, args = {}) {
    const id = this.nextId++
    return new Promise((resolve) => {
      this.pending.set(id, resolve)
      this.proc.stdin.write(JSON.stringify({ id, cmd, args }) + '\n')
    })
  }

  async ok (cmd, args) {
    const r = await this.send(cmd, args)
    if (!r.ok) throw new Error(`${this.name} ${cmd} failed: ${r.error}`)
    return r
  }
}

let failures = 0
async function check (name, fn) {
  const start = performance.now()
  try {
    const detail = await fn()
    console.log(`PASS ${name} (${(performance.now() - start).toFixed(0)} ms)${detail != null ? ' ' + detail : ''}`)
  } catch (err) {
    failures++
    console.log(`FAIL ${name}: ${err.message}`)
  }
}
function assert (cond, msg) { if (!cond) throw new Error(msg) }

const a = new Peer('A')
const b = new Peer('B')
await Promise.all([a.ready, b.ready])
const bAddr = b.info.addrs[0]
const bPeer = b.info.peerId
const MiB = 1024 * 1024

await check('dial', async () => {
  const r = await a.ok('dial', { addr: bAddr })
  assert(r.remotePeer === bPeer, `remotePeer ${r.remotePeer}`)
  return r.connection.multiplexer + ' ' + r.connection.encryption
})
await check('ping x10', async () => {
  const r = await a.ok('ping', { peer: bPeer, count: 10 })
  assert(r.rtts.length === 10, 'rtts')
  return JSON.stringify(r.rtts)
})
await check('identify', async () => {
  const r = await a.ok('identify', { peer: bPeer })
  assert(r.agentVersion?.includes('resilink-interop-js'), `agent ${r.agentVersion}`)
  assert(r.protocolVersion != null, 'protocolVersion')
  assert(r.protocols.includes('/resilink/sink/1.0.0') && r.protocols.includes('/echo/1.0.0'), 'protocols')
  assert(r.listenAddrs.length > 0, 'listenAddrs')
  assert(r.publicKey != null, 'publicKey')
  const f = await a.ok('identify', { peer: bPeer, fresh: true })
  assert(f.publicKey === r.publicKey, 'fresh identify differs')
  return `${r.agentVersion} ${r.protocolVersion}`
})
await check('events seen', async () => {
  assert(a.events.some(e => e.event === 'connection:open' && e.peer === bPeer), 'A connection:open')
  assert(b.events.some(e => e.event === 'connection:open' && e.peer === a.info.peerId), 'B connection:open')
  assert(b.events.some(e => e.event === 'peer:identify' && e.peer === a.info.peerId), 'B peer:identify')
})
for (const size of [0, 1, 64 * 1024, 4 * MiB]) {
  await check(`echo ${size}`, async () => {
    const r = await a.ok('echo', { addr: bAddr, size })
    assert(r.ok && r.bytes === size, JSON.stringify(r))
  })
}
await check('echoConcurrent 100 x 64 KiB', async () => {
  const r = await a.ok('echoConcurrent', { peer: bPeer, streams: 100, size: 64 * 1024 })
  assert(r.ok, JSON.stringify(r))
  return `${r.ms.toFixed(0)} ms`
})
await check('connections', async () => {
  const r = await a.ok('connections', { peer: bPeer })
  assert(r.connections.length >= 1, 'no connection')
  return JSON.stringify(r.connections[0])
})
await check('second connection (force)', async () => {
  await a.ok('dial', { addr: bAddr, force: true })
  const r = await a.ok('connections', { peer: bPeer })
  assert(r.connections.length >= 2, `only ${r.connections.length}`)
})
await check('throughput 256 MiB', async () => {
  const r = await a.ok('throughput', { peer: bPeer, bytes: 256 * MiB })
  return `${r.mibps.toFixed(1)} MiB/s`
})
await check('midclose aborts connection', async () => {
  // No command sends on midclose; use echo with protocol override: B aborts after 1 KiB.
  const r = await a.send('echo', { peer: bPeer, size: 64 * 1024, protocol: '/resilink/midclose/1.0.0' })
  assert(!r.ok, 'expected failure')
  return r.error
})
await check('closeConnections', async () => {
  await a.ok('dial', { addr: bAddr })
  const r = await a.ok('closeConnections', { peer: bPeer })
  assert(r.closed >= 1, 'closed 0')
  await new Promise(resolve => setTimeout(resolve, 200))
  const c = await a.ok('connections', { peer: bPeer })
  assert(c.connections.length === 0, `${c.connections.length} left`)
  assert(b.events.some(e => e.event === 'connection:close'), 'B saw no connection:close')
})
await check('hangup', async () => {
  await a.ok('dial', { addr: bAddr })
  await a.ok('hangup', { peer: bPeer })
  const c = await a.ok('connections', { peer: bPeer })
  assert(c.connections.length === 0, `${c.connections.length} left`)
})
await check('error reply for unreachable', async () => {
  const r = await a.send('ping', { addr: '/ip4/127.0.0.1/tcp/1', count: 1 })
  assert(!r.ok && typeof r.error === 'string', JSON.stringify(r))
})
await check('B pings A back (inbound direction)', async () => {
  const r = await b.ok('ping', { addr: a.info.addrs[0], count: 3 })
  return JSON.stringify(r.rtts)
})
await check('stop', async () => {
  await Promise.all([a.ok('stop'), b.ok('stop')])
  const codes = await Promise.all([a.exited, b.exited])
  assert(codes.every(c => c === 0), `exit codes ${codes}`)
})
const errs = [...a.events, ...b.events].filter(e => e.event === 'error')
if (errs.length > 0) console.log('error events:', JSON.stringify(errs))
console.log(failures === 0 ? 'ALL PASSED' : `${failures} FAILED`)
process.exit(failures === 0 ? 0 : 1)
