Console.WriteLine("Scheduling benchmark: not written yet.");
