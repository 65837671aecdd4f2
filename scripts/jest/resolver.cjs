// kubernetes-models ships ESM only, with exports that offer just the "import"
// condition. Node 22 loads them with require(esm) at run time; Jest resolves
// with "require" conditions, so resolve these packages with "import" and let
// the Backstage CLI's SWC transform turn them into CommonJS.
const ESM_ONLY = /^(kubernetes-models|@kubernetes-models\/[^/]+)(\/|$)/;

module.exports = (request, options) => {
  if (ESM_ONLY.test(request)) {
    return options.defaultResolver(request, {
      ...options,
      conditions: ['import', 'default'],
    });
  }
  return options.defaultResolver(request, options);
};
