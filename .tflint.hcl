# tflint with the bundled terraform ruleset, every rule on: documented and
# typed variables and outputs, unused declarations, standard module structure,
# naming, pinned versions.
plugin "terraform" {
  enabled = true
  preset  = "all"
}
