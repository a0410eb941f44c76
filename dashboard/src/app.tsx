import { useEffect, useRef } from 'preact/hooks';
import { currentConfig } from './api.ts';
import { signOut } from './auth.ts';
import { href, useRoute } from './route.ts';
import { ComplianceFramework, ComplianceOverview } from './views/compliance.tsx';
import { FindingDetail } from './views/finding.tsx';
import { Findings } from './views/findings.tsx';
import { Inventory } from './views/inventory.tsx';
import { Overview } from './views/overview.tsx';

const NAV = [
  { path: '', label: 'Overview' },
  { path: 'findings', label: 'Findings' },
  { path: 'compliance', label: 'Compliance' },
  { path: 'inventory', label: 'Inventory' },
];

export function App() {
  const route = useRoute();
  const [section = '', id] = route.path;
  const auth = currentConfig().auth;

  // A new view moves the focus to its heading, so keyboard and screen-reader users land on it;
  // the first one leaves it at the top of the page, where the skip link is.
  const firstView = useRef(true);
  useEffect(() => {
    if (firstView.current) firstView.current = false;
    else document.getElementById('page-title')?.focus();
  }, [route.path.join('/')]);

  let view;
  if (section === '') view = <Overview />;
  else if (section === 'findings' && id) view = <FindingDetail fingerprint={id} />;
  else if (section === 'findings') view = <Findings query={route.query} />;
  else if (section === 'compliance' && id) view = <ComplianceFramework framework={id} query={route.query} />;
  else if (section === 'compliance') view = <ComplianceOverview query={route.query} />;
  else if (section === 'inventory') view = <Inventory />;
  else
    view = (
      <p role="alert">
        No such page. <a href={href([])}>Back to the overview</a>
      </p>
    );

  return (
    <>
      <a
        class="skip"
        href="#main"
        onClick={(e) => {
          // The hash is the router's: move the focus instead of navigating.
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Skip to content
      </a>
      <header class="top">
        <span class="brand">Shipwatch</span>
        <nav aria-label="Main">
          <ul>
            {NAV.map((n) => (
              <li key={n.path}>
                <a href={href(n.path ? [n.path] : [])} aria-current={section === n.path ? 'page' : undefined}>
                  {n.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        {auth && (
          <button type="button" class="secondary" onClick={() => signOut(auth)}>
            Sign out
          </button>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        {view}
      </main>
    </>
  );
}
