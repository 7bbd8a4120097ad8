#!/usr/bin/env node
// Committed so that installing links the command before the first build; the program is in dist.
import '../dist/belfry-conformance.js';
