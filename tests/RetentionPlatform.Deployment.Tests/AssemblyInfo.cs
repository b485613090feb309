// The test class starts a whole platform of processes (two silos, six services, a broker): one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
