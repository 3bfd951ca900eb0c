"""Technology brokers (技术经纪人): their profiles, the credits firms and teams give them on needs and bids, their
statistics per edition and market, and the reward rule with its payable list."""
