using System.Reflection;
using RnnRunner.Core.Data;
using RnnRunner.Core.Specs;
using RnnRunner.Core.Specs.Schema;

namespace RnnRunner.Tests.Data;

/// <summary>Every dataset a spec can name has exactly one source, found by its [Implements] mark.</summary>
public class DataSourcesTests
{
    [Fact]
    public void Every_dataset_a_spec_can_name_has_a_registered_source()
    {
        var named = typeof(DataSpec).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DataSpec).IsAssignableFrom(t) && t.GetCustomAttribute<SpecNameAttribute>() is not null);

        Assert.Equal(named.OrderBy(t => t.Name), DataSources.Specs.OrderBy(t => t.Name));
    }

    [Fact]
    public void A_source_is_built_from_its_spec_and_the_data_environment()
    {
        var environment = new DataEnvironment("/tmp/some-data", "/tmp/some-cache");

        Assert.IsType<Core.Data.Synthetic.DelayedEchoSource>(DataSources.For(new DelayedEchoDataSpec(), environment));
        Assert.IsType<Core.Data.Imdb.ImdbSource>(DataSources.For(new ImdbDataSpec(), environment));
    }
}
