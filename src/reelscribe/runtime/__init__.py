"""The local runtime: the template's resources in moto, its state machine run by moto's ASL
interpreter, its functions run in-process, and the calls moto cannot serve answered by the
emulators. `local.LocalRuntime` is the entry point; nothing is imported here, so that
`moto_patches.startup` runs before moto is first imported."""
