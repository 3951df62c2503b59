#!/usr/bin/env node
// The keyhold command: runs the built CLI (dist/, made by `npm run build`).
import "../dist/main.js";
