def seed() -> list[str]:
    return ["TODO"]
