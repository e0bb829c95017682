Console.WriteLine("e2e");
