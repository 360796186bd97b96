/** esbuild bundles .graphql files as text (see ../dashboard.ts). */
declare module '*.graphql' {
  const text: string;
  export default text;
}
