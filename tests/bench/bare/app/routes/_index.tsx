export default function Index() {
  return (
    <main>
      <h1>Hello from a bare Remix page</h1>
      <p>One route, no loader, no database: the reference the storefront is measured against.</p>
    </main>
  );
}
