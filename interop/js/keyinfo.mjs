// Reads or writes a node identity key file (a libp2p PrivateKey protobuf, raw bytes) with js-libp2p, so the tests can
// check that a key moves between js-libp2p and Resilink with the same peer ID.
// Usage: node --import ./polyfill.mjs keyinfo.mjs FILE              prints the peer ID of FILE's key
//        node --import ./polyfill.mjs keyinfo.mjs --generate FILE   writes a new Ed25519 key to FILE (mode 0600,
//                                                                    never over an existing file), prints its peer ID
import { readFile, writeFile } from 'node:fs/promises'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'

const args = process.argv.slice(2)
const generate = args[0] === '--generate'
const file = generate ? args[1] : args[0]
if (file == null || args.length !== (generate ? 2 : 1)) {
  console.error('usage: keyinfo.mjs [--generate] FILE')
  process.exit(2)
}

try {
  let key
  if (generate) {
    key = await generateKeyPair('Ed25519')
    await writeFile(file, privateKeyToProtobuf(key), { flag: 'wx', mode: 0o600 })
  } else {
    key = privateKeyFromProtobuf(await readFile(file))
  }
  console.log(peerIdFromPrivateKey(key).toString())
} catch (err) {
  console.error(`keyinfo.mjs: ${file}: ${err.message}`)
  process.exit(1)
}
