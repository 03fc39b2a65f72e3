Console.WriteLine("mic-train: work in progress");
