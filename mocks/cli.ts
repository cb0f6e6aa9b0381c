#!/usr/bin/env node
console.log('casapay-mock: not built yet (see issue 3).');
