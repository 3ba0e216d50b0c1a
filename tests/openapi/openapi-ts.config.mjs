// @hey-api/openapi-ts 0.95 (package.json): a fetch client generated from the document appraise
// serves, which tests/openapi/run.sh saves as openapi.json here.
export default {
  input: "openapi.json",
  output: { path: "generated", importFileExtension: ".js" },
  plugins: ["@hey-api/client-fetch"],
};
