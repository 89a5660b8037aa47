import Testing
import TimeKeeping

@Suite struct DeadlineTests {
    @Test func aPassedDeadlineHasNoTimeLeft() {
        let past = Deadline.after(.zero) - .milliseconds(5)
        #expect(past.hasPassed)
        #expect(past.remaining == .zero)
        let future = Deadline.after(.seconds(60))
        #expect(!future.hasPassed)
        #expect(future.remaining > .seconds(59) && future.remaining <= .seconds(60))
    }

    /// A wait rounded down would wake before the deadline and spin: poll(2) and sd_bus_wait
    /// get the time rounded up.
    @Test func waitsAreRoundedUpAndBounded() {
        #expect(Duration.microseconds(1).roundedUpMilliseconds == 1)
        #expect(Duration.milliseconds(1500).roundedUpMilliseconds == 1500)
        #expect(Duration.nanoseconds(1).roundedUpMicroseconds == 1)
        #expect(Duration.seconds(86400 * 365).roundedUpMilliseconds == Int32.max)
        #expect(Duration.zero.roundedUpMilliseconds == 0)
    }

    @Test(arguments: [(Duration.seconds(10), "10"), (.milliseconds(300), "0.3"), (.seconds(1.5), "1.5"), (.seconds(86400), "86400")])
    func secondsAreWrittenAsPeopleWriteThem(duration: Duration, text: String) {
        #expect(formatSeconds(duration) == text)
    }
}
