import { test } from "node:test";
import assert from "node:assert/strict";
import { closestNames, commandSuggestions, editDistance } from "../../lib/cli/closest_names.ts";

test("editDistance() weighs insertion 1, deletion 3, substitution 2, transposition 0", () => {
  assert.equal(editDistance("htons", "htons"), 0);
  assert.equal(editDistance("htns", "htons"), 1);
  assert.equal(editDistance("htonss", "htons"), 3);
  assert.equal(editDistance("htors", "htons"), 2);
  assert.equal(editDistance("hotns", "htons"), 0);
});

test("closestNames() proposes the nearest names within 7, those starting with the input first", () => {
  const names = ["htons", "htonl", "ntohs", "ntohl", "echo", "connect"];
  assert.deepEqual(closestNames("htns", names), ["htons"]);
  assert.deepEqual(closestNames("hton", names), ["htonl", "htons"]);
  assert.deepEqual(closestNames("constructor", names), []);
  assert.deepEqual(closestNames("x".repeat(5000), names), []);
});

test("commandSuggestions() answers other tools' names from the synonym table, at the root only", () => {
  const names = ["resolve", "dns", "probe", "connect", "echo", "htons", "ntohs", "help"];
  assert.deepEqual(commandSuggestions("lookup", names), ["resolve", "dns"]);
  assert.deepEqual(commandSuggestions("telnet", names), ["connect"]);
  assert.deepEqual(commandSuggestions("serve", names), ["echo serve"]);
  assert.deepEqual(commandSuggestions("whois", names), []);
  assert.deepEqual(commandSuggestions("hlep", names), ["help"]);
  assert.deepEqual(commandSuggestions("lookup", ["serve", "test"], false), []);
  assert.deepEqual(commandSuggestions("constructor", names), []);
});
