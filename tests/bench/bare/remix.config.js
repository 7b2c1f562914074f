/**
 * The reference for `npm run bench:storefront`: the smallest Remix app (one route, no database),
 * built by the same compiler and served by the same HTTP stack as Covera, so the benchmark can
 * print Covera's throughput as a share of what Remix itself does on this machine.
 */
/** @type {import('@remix-run/dev').AppConfig} */
export default {
  serverModuleFormat: "esm",
  serverPlatform: "node",
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
    v3_singleFetch: false,
  },
};
