#!/usr/bin/env node
// `itniotech-emulator` (see run-dist.js for why a bin is a committed file).
"use strict";
require("./run-dist")("itniotech-emulator", "emulator/cli.js");
