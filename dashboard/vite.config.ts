// `npm run build:dashboard` (vite build --config dashboard/vite.config.ts): the same build `shipwatch serve` runs on demand.
import { join } from 'node:path';
import { defineConfig } from 'vite';
import { dashboardViteConfig } from '../shared/server/dashboard.ts';

const root = join(import.meta.dirname, '..');
export default defineConfig(dashboardViteConfig(root, join(root, 'dist', 'dashboard')));
