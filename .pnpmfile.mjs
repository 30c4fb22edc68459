// What a published manifest carries: only what users need. Build and test scripts and devDependencies
// (which name private workspace packages such as the code generator and the test kit) stay in the repo.
export const hooks = {
  beforePacking(pkg) {
    delete pkg.scripts
    delete pkg.devDependencies
    return pkg
  },
}
