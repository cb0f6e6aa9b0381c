// @ts-check
// ESLint over every .ts, .mts and .mjs file of the repository except what tools write (generated/, dist/,
// examples/*/generated/), the console's browser code included. Layout is Prettier's job (`npm run format`);
// no rule here is about formatting. typescript-eslint's `recommended`, not `recommendedTypeChecked`: the
// type-aware run took 62 s and 1.9 GB on the 2-core CI machine (this one: ~10 s); see DECISIONS.md.
import eslint from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['generated/', 'dist/', 'reports/', 'examples/*/generated/'] },
  eslint.configs.recommended,
  tseslint.configs.recommended,
  {
    // Node's globals for the .mjs scripts (in .ts files the compiler checks names and typescript-eslint turns no-undef off).
    languageOptions: { globals: globals.node },
    rules: {
      // Contract documents, JSON bodies and Ajv schemas are untyped JSON walked by key; `any` is the honest type there.
      '@typescript-eslint/no-explicit-any': 'off',
      // A leading underscore names what is left out on purpose (`const { secret: _secret, ...shown } = endpoint`).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
        },
      ],
    },
  },
);
