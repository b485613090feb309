// Each test class starts whole platforms (PostgreSQL, Kafka, Orleans, six services): one at a time on two cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
