// Bundles what the dynamic-provider host loads: `pulumi-rooms/tencent` and `pulumi-rooms/zego` (package.json
// `exports`) point at dist/host/<vendor>.js. One file with zod inlined and tree-shaken loads several times
// faster than tsc's module tree plus all of zod (its 64 locale files alone), and the host pays that load on
// every cold start (figures in docs/benchmarks.md, "Host cold start"). Run after tsc (npm run build): tsc still emits dist/provider for the
// program side and for the type declarations the exports point to.
import { build } from "esbuild";
import { relative } from "node:path";

const ENTRIES = { tencent: "provider/tencent/provider.ts", zego: "provider/zego/provider.ts" };
// Resolved at run time from the host's node_modules, not copied in: @pulumi/pulumi is the host itself
// (a peer dependency; a second copy would split its module state), undici is loaded lazily on the first
// request (provider/core/http.ts) so check and diff never pay for it, and tls-sig-api-v2 is Tencent's own
// UserSig signer, kept as the installed, pinned package (it loads in under 1 ms).
const EXTERNAL = ["@pulumi/pulumi", "undici", "tls-sig-api-v2"];
// The only packages allowed inside the bundles. Anything else means the host entry points reach code
// they do not need (e.g. MeetingSeries' recurrence and iCalendar libraries): fail the build instead.
const INLINED = new Set(["zod"]);

const result = await build({
  entryPoints: ENTRIES,
  outdir: "dist/host",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  external: EXTERNAL,
  sourcemap: "linked",
  // Like tsc's maps: they name the sources (provider/**, not published) but do not embed them.
  sourcesContent: false,
  metafile: true,
  logLevel: "warning",
});

const packages = new Set();
for (const input of Object.keys(result.metafile.inputs)) {
  const parts = relative(".", input).split(/[\\/]/);
  const at = parts.lastIndexOf("node_modules");
  if (at < 0) continue;
  const name = parts[at + 1]?.startsWith("@") ? `${parts[at + 1]}/${parts[at + 2]}` : parts[at + 1];
  packages.add(name);
}
const unexpected = [...packages].filter((name) => !INLINED.has(name));
if (unexpected.length > 0) {
  console.error(
    `bundle-host: the host bundles pulled in ${unexpected.join(", ")}; mark it external in scripts/bundle-host.mjs or cut the import`,
  );
  process.exit(1);
}
