#!/usr/bin/env node
// `itniotech` (see run-dist.js for why a bin is a committed file).
"use strict";
require("./run-dist")("itniotech", "cli/index.js");
