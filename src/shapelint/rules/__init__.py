"""Shape rules, one package per framework (keras/, torch/) and one module per layer family.

The registry (core/registry.py) imports a framework's package the first time one of its rules is looked up.
"""
