import SpecCore
@testable import SpecEngine
import Testing
