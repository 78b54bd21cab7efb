"""Generated data, clearly made up: the benchmarks' corpora and the demo region (示例数据).

Pure like the layers below it (domain objects drawn from a seeded generator); ``services.demo_region`` stores
the region.
"""
