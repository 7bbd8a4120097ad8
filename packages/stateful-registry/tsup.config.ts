import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared.js';

export default defineConfig(packageBuild({ entry: { index: 'src/index.ts', example: 'src/example.ts', envelope: 'src/envelope-tools.ts' } }));
