Console.WriteLine("resilink");
