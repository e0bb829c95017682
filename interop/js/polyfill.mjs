// js-libp2p 3.x uses Promise.withResolvers (ES2024), which Node 20 lacks.
// Load with: node --import ./polyfill.mjs <script>
if (typeof Promise.withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers () {
      let resolve
      let reject
      const promise = new this((res, rej) => { resolve = res; reject = rej })
      return { promise, resolve, reject }
    }
  })
}
