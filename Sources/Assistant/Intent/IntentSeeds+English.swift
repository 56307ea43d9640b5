extension IntentSeeds {
    static let english: [BusinessIntent: String] = [
        .greeting: """
            hi
            hello
            hey
            good morning
            good afternoon
            good evening
            hi there
            hello, how are you?
            hey, anyone there?
            hiya
            morning!
            """,
        .pricing: """
            how much is it?
            how much does it cost?
            what's the price?
            how much for a cleaning?
            how much do you charge?
            do you have a price list?
            what are your rates?
            any discounts?
            is there a promotion?
            how much is shipping?
            how much is the consultation?
            """,
        .hours: """
            what time do you open?
            what time do you close?
            are you open on saturday?
            are you open sunday?
            what are your opening hours?
            are you open now?
            are you open today?
            are you open on holidays?
            until what time are you open?
            when do you open tomorrow?
            business hours?
            """,
        .location: """
            where are you?
            where are you located?
            what's the address?
            send me the location
            how do i get there?
            is there parking?
            which neighborhood are you in?
            do you have another branch?
            is it near the subway?
            where is the store?
            """,
        .booking: """
            i want to book an appointment
            can i make a reservation?
            do you have anything tomorrow?
            i'd like to schedule a visit
            any openings today?
            book me for friday at 10
            can i get a table for two?
            how do i book?
            is monday available?
            i need an appointment
            """,
        .rescheduleCancel: """
            i need to reschedule
            can i change my appointment?
            i want to cancel
            please cancel my booking
            can we move it to another day?
            i can't make it, can we push it back?
            cancel my order
            i need to change the time
            can i come earlier instead?
            """,
        .payment: """
            do you take credit cards?
            can i pay by card?
            do you accept cash?
            can i pay in installments?
            how do i pay?
            i already paid, here is the receipt
            send me a payment link
            do you take debit?
            my payment was declined
            can i pay on arrival?
            """,
        .orderStatus: """
            where is my order?
            has my order shipped?
            when will my order arrive?
            my order hasn't arrived
            do you have a tracking number?
            order status
            my order is late
            i still haven't received my package
            is my order ready?
            how long until delivery?
            """,
        .complaint: """
            terrible service, i'm really upset
            i want to file a complaint
            this is outrageous
            the product arrived broken
            the service was awful
            i'm very unhappy
            nobody answers me, this is ridiculous
            you charged me wrong
            the order came wrong
            the food arrived cold
            i want a refund
            never buying from you again
            """,
        .humanRequest: """
            i want to talk to a person
            can i speak to a human?
            let me talk to an agent
            are you a bot?
            i want to speak to the manager
            i need to talk to someone
            real person please
            can someone call me?
            transfer me to a representative
            """,
        .thanksBye: """
            thanks
            thank you!
            thanks a lot
            bye
            goodbye
            see you
            thanks for the help
            ok thanks
            perfect, thank you
            have a nice day
            that's all, thanks
            """,
        .other: """
            what is the capital of france?
            tell me a joke
            will it rain tomorrow?
            who won the game?
            do you like music?
            recommend me a movie
            how do i bake a cake?
            what's the dollar exchange rate?
            help me with my homework
            test
            """,
    ]
}
