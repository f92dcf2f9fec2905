import { defineConfig } from 'tsup';
import { packageDeclarations } from '../../tsup.shared';

export default defineConfig(packageDeclarations());
