export {
  createNanoBananaMcpServer,
  DEFAULT_MAX_IMAGE_BYTES,
  DEFAULT_MAX_INLINE_BYTES,
  DEFAULT_WAIT_SECONDS,
  type NanoBananaMcpServer,
  type ServerOptions,
} from './server.js'
export { main, parseArgs } from './main.js'
