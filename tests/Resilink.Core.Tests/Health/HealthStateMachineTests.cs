using Resilink.Health;

namespace Resilink.Core.Tests.Health;

public class HealthStateMachineTests
{
    private static HealthStateMachine StartedAt(HealthStatus status, int failureThreshold = 3, int recoveryThreshold = 2)
    {
        var machine = new HealthStateMachine(failureThreshold, recoveryThreshold);
        machine.Observe(status, immediate: false, out _);
        return machine;
    }

    private static void ObserveAll(HealthStateMachine machine, params HealthStatus[] verdicts)
    {
        foreach (HealthStatus verdict in verdicts)
        {
            machine.Observe(verdict, immediate: false, out _);
        }
    }

    [Fact]
    public void Current_New_IsUnknown()
    {
        Assert.Equal(HealthStatus.Unknown, new HealthStateMachine(3, 2).Current);
    }

    [Fact]
    public void Observe_RandomVerdicts_NeverReportsAChangeToTheSameStatus()
    {
        var random = new Random(7);
        HealthStatus[] statuses = Enum.GetValues<HealthStatus>();
        var machine = new HealthStateMachine(failureThreshold: 2, recoveryThreshold: 2);
        int changes = 0;
        for (int i = 0; i < 10_000; i++)
        {
            if (machine.Observe(statuses[random.Next(statuses.Length)], immediate: random.Next(4) == 0, out HealthStatus previous))
            {
                changes++;
                Assert.NotEqual(previous, machine.Current);
            }
        }
        Assert.True(changes > 100, $"only {changes} changes: the test did not exercise the machine");
    }

    [Fact]
    public void Observe_ClosedAfterDead_StaysDead()
    {
        HealthStateMachine machine = StartedAt(HealthStatus.Dead);

        Assert.False(machine.Observe(HealthStatus.Closed, immediate: true, out _));
        Assert.Equal(HealthStatus.Dead, machine.Current);
    }

    [Fact]
    public void Observe_FirstVerdict_AppliesAtOnce()
    {
        var machine = new HealthStateMachine(3, 2);
        Assert.True(machine.Observe(HealthStatus.Degraded, immediate: false, out HealthStatus previous));
        Assert.Equal(HealthStatus.Unknown, previous);
        Assert.Equal(HealthStatus.Degraded, machine.Current);
    }

    [Fact]
    public void Observe_UnknownVerdict_IsIgnored()
    {
        var machine = new HealthStateMachine(3, 2);
        Assert.False(machine.Observe(HealthStatus.Unknown, immediate: true, out _));
        Assert.Equal(HealthStatus.Unknown, machine.Current);

        machine.Observe(HealthStatus.Healthy, immediate: false, out _);
        ObserveAll(machine, HealthStatus.Degraded, HealthStatus.Unknown, HealthStatus.Degraded);
        Assert.Equal(HealthStatus.Healthy, machine.Current);
        Assert.True(machine.Observe(HealthStatus.Degraded, immediate: false, out _)); // the Unknown broke no run
    }

    [Fact]
    public void Observe_WorseVerdict_NeedsFailureThresholdInARow()
    {
        var machine = StartedAt(HealthStatus.Healthy);
        Assert.False(machine.Observe(HealthStatus.Degraded, immediate: false, out _));
        Assert.False(machine.Observe(HealthStatus.Degraded, immediate: false, out _));
        Assert.True(machine.Observe(HealthStatus.Degraded, immediate: false, out HealthStatus previous));
        Assert.Equal(HealthStatus.Healthy, previous);
        Assert.Equal(HealthStatus.Degraded, machine.Current);
    }

    [Theory]
    [InlineData(HealthStatus.Degraded)] // equal
    [InlineData(HealthStatus.Healthy)] // better
    public void Observe_WorseRunInterrupted_StartsOver(HealthStatus interruption)
    {
        var machine = StartedAt(HealthStatus.Degraded, recoveryThreshold: 5);
        ObserveAll(machine, HealthStatus.Unhealthy, HealthStatus.Unhealthy, interruption, HealthStatus.Unhealthy, HealthStatus.Unhealthy);
        Assert.Equal(HealthStatus.Degraded, machine.Current);

        machine.Observe(HealthStatus.Unhealthy, immediate: false, out _);
        Assert.Equal(HealthStatus.Unhealthy, machine.Current);
    }

    [Fact]
    public void Observe_RunOfMixedWorseVerdicts_LatestApplies()
    {
        var machine = StartedAt(HealthStatus.Healthy);
        ObserveAll(machine, HealthStatus.Unhealthy, HealthStatus.Dead, HealthStatus.Degraded);
        Assert.Equal(HealthStatus.Degraded, machine.Current);
    }

    [Fact]
    public void Observe_BetterVerdict_NeedsRecoveryThresholdInARow()
    {
        var machine = StartedAt(HealthStatus.Dead);
        Assert.False(machine.Observe(HealthStatus.Healthy, immediate: false, out _));
        Assert.True(machine.Observe(HealthStatus.Healthy, immediate: false, out HealthStatus previous));
        Assert.Equal(HealthStatus.Dead, previous);
        Assert.Equal(HealthStatus.Healthy, machine.Current);
    }

    [Theory]
    [InlineData(HealthStatus.Degraded)] // equal
    [InlineData(HealthStatus.Unhealthy)] // worse
    public void Observe_BetterRunInterrupted_StartsOver(HealthStatus interruption)
    {
        var machine = StartedAt(HealthStatus.Degraded);
        ObserveAll(machine, HealthStatus.Healthy, interruption, HealthStatus.Healthy);
        Assert.Equal(HealthStatus.Degraded, machine.Current);

        machine.Observe(HealthStatus.Healthy, immediate: false, out _);
        Assert.Equal(HealthStatus.Healthy, machine.Current);
    }

    [Fact]
    public void Observe_Immediate_AppliesAtOnce()
    {
        var machine = StartedAt(HealthStatus.Healthy);
        Assert.True(machine.Observe(HealthStatus.Dead, immediate: true, out HealthStatus previous));
        Assert.Equal(HealthStatus.Healthy, previous);
        Assert.Equal(HealthStatus.Dead, machine.Current);
    }

    [Fact]
    public void Observe_SameVerdict_ReportsNoChange()
    {
        var machine = StartedAt(HealthStatus.Healthy);
        Assert.False(machine.Observe(HealthStatus.Healthy, immediate: true, out HealthStatus previous));
        Assert.Equal(HealthStatus.Healthy, previous);
    }

    [Fact]
    public void Constructor_ThresholdBelowOne_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new HealthStateMachine(0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HealthStateMachine(1, 0));
    }
}
