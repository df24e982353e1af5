using ProgressGrains.Contracts;

namespace ProgressGrains.Grains.Tests;

public sealed class IdsTests
{
    [Theory]
    [InlineData("wenhua-0001")]
    [InlineData("a")]
    [InlineData("Season_2023.2024")]
    public void IsValid_AcceptsPlainIds(string id) => Assert.True(Ids.IsValid(id));

    [Theory]
    [InlineData("")]
    [InlineData("-leading-dash")]
    [InlineData("has space")]
    [InlineData("slash/inside")]
    [InlineData("文华")]
    [InlineData("x'; DROP TABLE OrleansStorage; --")]
    public void IsValid_RejectsEverythingElse(string id)
    {
        Assert.False(Ids.IsValid(id));
        Assert.NotNull(Ids.Problem(id));
    }

    [Fact]
    public void IsValid_RejectsOverlongIds() => Assert.False(Ids.IsValid(new string('a', Ids.MaxLength + 1)));
}
