using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Mic.ClassifierFunction.Tests.Page;

/// <summary>The function on a real Kestrel port on 127.0.0.1, so a real browser can reach it.</summary>
internal static class KestrelApp
{
    public static Uri Start(ClassifierApp app)
    {
        // An explicit listener on port 0, not UseKestrel(0): that overload rewrites the server's address list after the
        // app has been built, and a minimal-hosting app starts Kestrel on its own thread meanwhile, so the rewrite
        // sometimes finds the list already locked ("Addresses cannot be modified after the server has started",
        // dotnet/aspnetcore#67714; seen once in this project's CI).
        app.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        app.StartServer();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address + "/"); // http://127.0.0.1:PORT, the listener above
    }
}
